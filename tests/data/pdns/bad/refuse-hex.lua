-- a digest that is not hex
addTA('.', '20326 8 2 XYZ')
