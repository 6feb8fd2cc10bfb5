-- an unclosed call: Lua does not load the file
addTA('.', '38696 8 2 683d2d0acb8c9b712a1948b27f741219298d0a450d612c483af444a4c0fb2b16'
