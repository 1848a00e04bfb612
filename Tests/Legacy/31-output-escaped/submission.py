def tag():
    return "<a & b>"
