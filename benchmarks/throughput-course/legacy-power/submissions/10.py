iterPower = lambda base, exp: base ** exp
