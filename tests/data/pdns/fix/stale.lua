-- PowerDNS Recursor Lua config: root trust anchors set by hand
clearTA('.')
addTA('.', "20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")  -- KSK-2017
addTA('example.com', "12345 8 2 AABBCCDD")
addNTA('example.net', 'broken upstream')
