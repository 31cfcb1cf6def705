"""NRP Desktop: the learning of the Neighbourhood Resilience Programme, for facilitators offline."""

__version__ = "0.1.0"
APP_NAME = "NRP Desktop"
APP_ID = "uk.neighbourhoodresilience.NRPDesktop"
