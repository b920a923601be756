from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "guichet.onboarding"
    label = "onboarding"
