this is {{{ not even Python
