clearTA()
