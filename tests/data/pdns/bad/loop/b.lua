-- b

dofile('@D@/loop/a.lua')
