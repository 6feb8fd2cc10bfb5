-- pdns_recursor 4.8 takes a digest of any length: this DS matches no key
clearTA()
addTA('.', '20326 8 2 E06D44B80B')
addTA('.', '38696 8 2 683d2d0acb8c9b712a1948b27f741219298d0a450d612c483af444a4c0fb2b16')
