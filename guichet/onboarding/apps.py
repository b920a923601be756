from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "guichet.onboarding"
    label = "onboarding"

    def ready(self) -> None:
        # In ready(), once the models are loaded: customers asks whether an identity was verified
        # through this hook, so it never imports onboarding (onboarding builds on customers).
        from guichet.customers.identity import provide_identity_check

        from .kyc import identity_verified

        provide_identity_check(identity_verified)
