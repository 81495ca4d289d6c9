"""Bilingual fields (English and French) of the work programmes app."""

from modeltranslation.translator import TranslationOptions, register

from .catalogue.models import CatalogueItem
from .programmes.models import ProgrammeActivity, WorkProgramme


@register(CatalogueItem)
class CatalogueItemTranslation(TranslationOptions):
    fields = ("title", "description", "exemption_reason")


@register(WorkProgramme)
class WorkProgrammeTranslation(TranslationOptions):
    fields = ("objectives",)


@register(ProgrammeActivity)
class ProgrammeActivityTranslation(TranslationOptions):
    fields = ("title",)
