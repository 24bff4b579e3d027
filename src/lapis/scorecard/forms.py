from django import forms

from lapis.core import inputs


class SetForm(inputs.Form):
    name = forms.CharField(label="Name", max_length=200,
                           error_messages={"required": "Enter a name for the scorecard"})
    area = forms.CharField(label="Area", required=False, max_length=12,
                           help_text="An LA code such as 879, to show another area's figures. "
                           "Leave blank for your own")
    indicators = forms.TypedMultipleChoiceField(
        label="Indicators", coerce=int,
        error_messages={"required": "Choose at least one indicator"})

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(i.pk, i.name) for i in indicators]
