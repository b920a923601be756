"""Settings split after cookiecutter-django: base, dev, test, prod; configuration from the environment."""
