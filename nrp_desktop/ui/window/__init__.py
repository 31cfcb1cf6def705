"""The main window's parts: its actions (files, publishing, phone votes, drag and drop), its menus
(with About, Large text, High contrast and Language), and what they share. The window itself is
`nrp_desktop.ui.main_window.MainWindow`."""
