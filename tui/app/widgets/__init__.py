"""The app's widgets, each named by its role on screen."""
