from django import forms

from lapis.core import inputs
from lapis.sef.models import EvidenceKind, Judgement, SourceKind


class AreaForm(inputs.Form):
    big_picture = forms.CharField(label="Big picture", required=False, widget=forms.Textarea,
                                  help_text="The narrative for this area: strengths and "
                                  "challenges in a few paragraphs")
    judgement = forms.ChoiceField(label="Self-assessed judgement", required=False,
                                  choices=[("", "Not yet judged"), *Judgement.choices])
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(inputs.Form):
    kind = forms.ChoiceField(label="Kind", choices=EvidenceKind.choices)
    number = forms.CharField(label="Number", max_length=12, help_text='As the SEF numbers it, '
                             'for example "1.7"')
    text = forms.CharField(label="Evidence", widget=forms.Textarea)
    source_kind = forms.ChoiceField(label="Source", choices=SourceKind.choices)
    source = forms.CharField(label="Source details", max_length=300, required=False,
                             help_text='For example "SEND inspection report, November 2023"')
    indicator = forms.TypedChoiceField(label="Indicator", required=False, coerce=int,
                                       empty_value=None,
                                       help_text="When the source is an indicator")
    period = forms.CharField(label="Period", max_length=20, required=False,
                             help_text='The indicator\'s period, for example "2023/24"')
    figure = forms.FloatField(label="Figure quoted", required=False,
                              help_text="The number the text quotes, checked against the "
                              "indicator's value for the period")

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "None"),
                                            *((i.pk, i.name) for i in indicators)]

    def clean(self):
        data = super().clean()
        if data.get("source_kind") == SourceKind.INDICATOR:
            if not data.get("indicator"):
                self.add_error("indicator", "Choose the indicator the evidence cites")
            if not data.get("period"):
                self.add_error("period", "Enter the period of the indicator's figure")
        return data


class PriorityForm(inputs.Form):
    text = forms.CharField(label="Improvement priority", widget=forms.Textarea,
                           help_text='Cite plan actions as "IP 4.6"; link them below too')
    actions = forms.TypedMultipleChoiceField(label="Plan actions", required=False, coerce=int)
    indicators = forms.TypedMultipleChoiceField(label="Indicators", required=False, coerce=int)

    def __init__(self, *args, plan_actions=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = [(a.pk, f"{a.ref} {a.description[:70]}")
                                          for a in plan_actions]
        self.fields["indicators"].choices = [(i.pk, i.name) for i in indicators]
