"""The pages of two-factor sign-in: enter a code, set up the app, turn it on or off.

The rules and the services are in actors/two_factor.py.
"""

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from actors import two_factor
from actors.permissions import access_for
from actors.sessions import landing_url


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod från appen"),
        max_length=20,
        help_text=gettext_lazy("Sex siffror. Appen visar en ny kod var 30:e sekund."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self):
        code = two_factor.normalise_app_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("Skriv de sex siffrorna som appen visar."))
        return code


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=gettext_lazy("Reservkod"),
        max_length=40,
        help_text=gettext_lazy(
            "En av de tio reservkoder du fick när du slog på tvåstegsverifiering, till exempel "
            "abcd2345. Varje reservkod fungerar en gång."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_recovery_code(self):
        code = two_factor.normalise_recovery_code(self.cleaned_data["recovery_code"])
        if code is None:
            raise forms.ValidationError(
                _("En reservkod är åtta tecken: bokstäverna a–z och siffrorna 2–7.")
            )
        return code


def _next_path(request) -> str:
    """Where to go once the code is entered: `next` if it is a page of this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return landing_url(request.user)


def _wrong_code(form, field: str, result: two_factor.CodeResult) -> None:
    if result.locked_until is not None:
        seconds = max(1, int((result.locked_until - timezone.now()).total_seconds()) + 1)
        form.add_error(
            field,
            _("För många felaktiga koder i rad. Vänta %(seconds)s sekunder och försök igen.")
            % {"seconds": seconds},
        )
    elif field == "code":
        form.add_error(
            field,
            _(
                "Koden stämmer inte. Skriv koden som appen visar just nu; en kod som redan har "
                "använts fungerar inte igen."
            ),
        )
    else:
        form.add_error(field, _("Reservkoden stämmer inte eller har redan använts."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The second step of signing in: a code from the app, or one of the recovery codes."""
    if two_factor.pending_step(request) != two_factor.VERIFY:
        return redirect(_next_path(request))
    app_form = AppCodeForm()
    recovery_form = RecoveryCodeForm()
    if request.method == "POST":
        recovery = "recovery_code" in request.POST
        form = RecoveryCodeForm(request.POST) if recovery else AppCodeForm(request.POST)
        if recovery:
            recovery_form = form
        else:
            app_form = form
        if form.is_valid():
            field = "recovery_code" if recovery else "code"
            result = two_factor.code_check(
                user=request.user, code=form.cleaned_data[field], recovery=recovery
            )
            if result.device is not None:
                two_factor.mark_verified(request, result.device)
                if recovery:
                    left = two_factor.recovery_codes_left(request.user)
                    messages.warning(
                        request,
                        _(
                            "Du loggade in med en reservkod. Du har %(left)s oanvända kvar; "
                            "skapa nya under Tvåstegsverifiering när de börjar ta slut."
                        )
                        % {"left": left},
                    )
                return redirect(_next_path(request))
            _wrong_code(form, field, result)
    return render(
        request,
        "actors/two_factor_verify.html",
        {
            "app_form": app_form,
            "recovery_form": recovery_form,
            "next": _next_path(request),
            "recovery_open": bool(recovery_form.errors),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Set up the app: scan the QR code (or type the secret), then prove it with a code."""
    if two_factor.has_app_device(request.user):
        messages.info(request, _("Tvåstegsverifiering är redan på för ditt konto."))
        return redirect("two-factor")
    key = request.session.get(two_factor.SETUP_KEY)
    if not key:
        key = two_factor.new_secret()
        request.session[two_factor.SETUP_KEY] = key
    form = AppCodeForm(request.POST or None)
    # The steps come first here: the focus stays at the top of the page.
    form.fields["code"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and form.is_valid():
        step = two_factor.code_for_secret_matches(key, form.cleaned_data["code"])
        if step is not None:
            device, codes = two_factor.two_factor_enable(
                user=request.user, key=key, matched_step=step
            )
            two_factor.mark_verified(request, device)
            messages.success(request, _("Tvåstegsverifiering är på."))
            return _show_recovery_codes(request, codes)
        form.add_error(
            "code",
            _(
                "Koden stämmer inte. Kontrollera att appen har lagt till kontot och skriv koden "
                "den visar just nu."
            ),
        )
    svg = two_factor.qr_code_svg(two_factor.config_url(key=key, username=request.user.username))
    return render(
        request,
        "actors/two_factor_setup.html",
        {
            "form": form,
            "qr_code": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
            "secret": two_factor.secret_as_text(key),
            "required": two_factor.is_required(access_for(request)),
            "next": _next_path(request),
        },
    )


def _show_recovery_codes(request, codes: list[str], next_path: str | None = None):
    # Shown in this answer only: no page shows them again.
    return render(
        request,
        "actors/two_factor_recovery_codes.html",
        {"codes": codes, "next": next_path or _next_path(request)},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request):
    """Whether two factors are on, and turning them on or off, or new recovery codes."""
    user = request.user
    return render(
        request,
        "actors/two_factor.html",
        {
            "enabled": two_factor.has_app_device(user),
            "required": two_factor.is_required(access_for(request)),
            "recovery_codes_left": two_factor.recovery_codes_left(user),
        },
    )


@require_POST
@login_required
def disable(request):
    """Coordinators and others who may turn it off; administrators, county staff and staff: 403."""
    if two_factor.is_required(access_for(request)):
        raise PermissionDenied
    if two_factor.has_app_device(request.user):
        two_factor.two_factor_disable(user=request.user)
        two_factor.forget_verification(request)
        messages.success(request, _("Tvåstegsverifiering är av."))
    return redirect("two-factor")


@require_POST
@login_required
def recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if not two_factor.has_app_device(request.user):
        messages.info(request, _("Slå på tvåstegsverifiering först."))
        return redirect("two-factor")
    codes = two_factor.recovery_codes_regenerate(user=request.user)
    messages.success(request, _("Nya reservkoder är skapade; de gamla fungerar inte längre."))
    return _show_recovery_codes(request, codes, resolve_url("two-factor"))
