"""Bilingual fields (English and French) of the partners app."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnershipFramework,
    Region,
)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(PartnershipFramework)
class PartnershipFrameworkTranslation(TranslationOptions):
    fields = ("name", "acronym", "description")


@register(CooperationArea)
class CooperationAreaTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "summary")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description")


@register(DialogueMeeting)
class DialogueMeetingTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(LiaisonArrangement)
class LiaisonArrangementTranslation(TranslationOptions):
    fields = ("notes",)
