import pytest


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploads go to a fresh private directory per test, so 'nothing stored' can be checked."""
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"
