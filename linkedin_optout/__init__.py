"""Switch off LinkedIn's generative-AI training settings, and prove it after a reload."""

__version__ = "0.1.0"
