"""Suggestions: annotation sets pre-filled from what the corpus already knows, and how good they are.

`suggest` writes them (entities by string matching, attribution by rules, optionally a model made
by `train_model`), `evaluate_suggestions` scores them against gold with each document left out of
what suggests it.
"""

from newsgold.suggest.evaluate import AnnotatedKinds, SuggestionEvaluation, effort, evaluate_suggestions
from newsgold.suggest.model import SpanModel, TrainReport, train_model
from newsgold.suggest.suggest import SUGGESTER, Suggester, SuggestReport, suggest, suggest_set

__all__ = ["AnnotatedKinds", "SUGGESTER", "SpanModel", "SuggestReport", "Suggester", "SuggestionEvaluation", "TrainReport", "effort",
           "evaluate_suggestions", "suggest", "suggest_set", "train_model"]
