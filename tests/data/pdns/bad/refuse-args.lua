addTA('.')
