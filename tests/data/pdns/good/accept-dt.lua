-- an unknown digest type, a digest split by blanks, another zone
clearTA()
addTA('.', '20326 8 9 E06D')
addTA('.', '38696 8 2 683d2d0acb8c9b712a1948b27f741219 298d0a450d612c483af444a4c0fb2b16')
addTA('example', '1 8 2 ab')
