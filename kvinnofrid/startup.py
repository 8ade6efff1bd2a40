import contextlib
import sys

from django.core.exceptions import ImproperlyConfigured


@contextlib.contextmanager
def exit_on_configuration_error():
    """Stop with one line instead of a traceback when the environment is misconfigured.

    An operator who forgot a variable needs to read what to set, not where Django noticed.
    """
    try:
        yield
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
