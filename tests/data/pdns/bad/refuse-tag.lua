-- a tag wider than 16 bits
addTA('.', '70000 8 2 e06d')
