-- a
dofile('@D@/loop/b.lua')
