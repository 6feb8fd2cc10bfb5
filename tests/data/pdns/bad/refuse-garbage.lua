clearTA()
addTA('.', 'garbage')
