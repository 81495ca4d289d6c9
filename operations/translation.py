"""Bilingual fields (English and French) of the operations app."""

from modeltranslation.translator import TranslationOptions, register

from .models import Contribution, Operation


@register(Operation)
class OperationTranslation(TranslationOptions):
    fields = ("name", "acronym", "theatre", "description")


@register(Contribution)
class ContributionTranslation(TranslationOptions):
    fields = ("command_arrangement", "decision_making_association", "description")
