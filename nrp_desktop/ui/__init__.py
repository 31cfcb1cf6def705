"""The Qt screens: the only code that imports QtWidgets."""
