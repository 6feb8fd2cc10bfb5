--[==[ level 2 ]] still a comment ]==]
addNTA('example.net', "not a positive anchor")
clearTA('example.com')
