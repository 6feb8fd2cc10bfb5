clearTA()

--[[ never closed
addTA('.', "x")
