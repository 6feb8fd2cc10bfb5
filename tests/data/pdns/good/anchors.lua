-- start from the built-in set, then replace it
clearTA()
addTA('.', "20326 8 2 e06d44b80b8f1d39a95c0b0d7c65d08458e880409bbc683457104237c7f8ec8d")   -- KSK-2017
addTA("example.com", "44030 8 2 D4C3D5552B8679FAEEBC317E5F048B614B2E5F607DC57F1553182D49AB2179F7")
--[[ a long comment: addTA('.', "19036 8 2 49aac11d7b6f6446702e54a1607371607a1a41855200fd2ce1cdde32f24e8fb5")
   still in it ]]
addTA('.', [[38696 8 2 683d2d0acb8c9b712a1948b27f741219298d0a450d612c483af444a4c0fb2b16]])
x.addTA('.', "not ours")
dofile("@D@/more.lua")
