"""Bilingual fields (English and French) of the accounts app."""

from modeltranslation.translator import TranslationOptions, register

from .models import Desk


@register(Desk)
class DeskTranslation(TranslationOptions):
    fields = ("name",)
