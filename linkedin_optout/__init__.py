"""Switch off LinkedIn's generative-AI training and other data-use settings, and prove
it after a reload."""

__version__ = "0.1.0"
