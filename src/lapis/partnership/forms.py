from django import forms

from lapis.core import inputs
from lapis.partnership.models import Role


class LoginForm(inputs.Form):
    username = forms.CharField(label="Username", max_length=150,
                               error_messages={"required": "Enter a username"})
    role = forms.ChoiceField(label="Role", choices=[("", "Choose a role")] + Role.choices,
                             error_messages={"required": "Choose a role"})
    person = forms.CharField(label="Name in the plan", required=False, max_length=200,
                             help_text="As it appears as an SRO or lead. Needed for leads and "
                             "board members")
    email = forms.EmailField(label="Email address", required=False,
                             help_text="Reminders before board meetings go here")
    boards = forms.TypedMultipleChoiceField(label="Boards they sit on", coerce=int,
                                            required=False)

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["boards"].choices = [(b.pk, b.name) for b in boards]


class RoleForm(inputs.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    active = forms.TypedChoiceField(label="Can sign in", coerce=lambda v: v == "yes",
                                    choices=[("yes", "Yes"), ("no", "No, switched off")])
