"""A sequence tagger of the attribution roles, learned from the corpus's own gold.

Each token is tagged B-/I- QUOTE, SPEAKER or CUE, or O, by a linear-chain CRF (CRFsuite through
python-crfsuite, the library BBC R&D's Citron uses for the same task): a well-kept C library whose
training is seconds on a few hundred articles on CPU, with no GPU and no parser. Attribution corpora
such as PolNeAR are univocal (one role per token), so a tag sequence holds them; where gold spans
overlap, the inner role wins (CUE over SPEAKER over QUOTE).

Features are what a parser-free pipeline has: the word and its lower case, prefix and suffix, shape,
capitalisation, whether it is a quotation mark, whether it is inside quotation marks (those of its
sentence, and those of the whole text: a quotation of several sentences), whether it is a cue of
the rules' lexicon (`CUES`), a pronoun or a title, and the same for the two words either side;
the position in the sentence; and the role the rules (`find_attributions`, on the text alone) give
the word and its neighbours, so that the tagger learns where the rules' exact ends hold and
finds what they miss (stacking); and the corpus's own cues (`learned_cues`: the words its training
gold makes cues, stored with the tagger): whether the word is one, and how far the nearest one is
before and after it in its sentence, which a window of two words cannot see (`called the plan
“...”`, `endorsed`, `wants`: cues of PolNeAR that no list of reporting verbs holds). Tokens and
sentences are those of the exports (`newsgold.formats.tokenize`). `FEATURES` names this set: a
tagger trained on another is refused.

Each tagged span carries a score, the mean marginal probability of its tokens' tags, which
`studio push --order uncertain` uses to serve the least certain documents first. A quote tagged in
two sentences is joined again (inside quotation marks, and where the training gold runs quotes
over sentence ends: `sentence_joins`), and takes the rules' ends where the rules see it too
(`SNAP_OVERLAP`). Tagged spans become attributions as the rules' do: each QUOTE is linked to the
SPEAKER and the CUE the rules give it, where those were tagged, else to those nearest to it in its
sentences (else in the sentence before, as a continuation); a speaker refers to an entity as the
rules say (`referent`). The result passes through `suggest_set`, which keeps only
what the scheme allows, with span ends moved to the boundary rules (`conform_span`).

The package: `features` (what a token is), `training` (the CRF learnt from gold), `linking` (from
tags to attributions); `RoleTagger` here tags a text with a trained model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsgold._io import verify_checksums
from newsgold.corpus.boundaries import conform_span
from newsgold.errors import UsageError
from newsgold.schemas.annotation import Span
from newsgold.schemas.scheme import Scheme
from newsgold.suggest.rules import Attribution, find_attributions, quotations, speaker_referent
from newsgold.suggest.tagger.features import (FEATURES, META_FILE, MODEL_FILE, ROLE_ORDER, _CLOSING, _OPENING,
                                              _featured_sentences, learned_cues, role_tags, rule_spans,
                                              sentence_features, tagger_for)
from newsgold.suggest.tagger.linking import (SNAP_OVERLAP, TaggedSpan, _Run, _joined_quotes, _nearest, _over, _ruling,
                                             _snapped, sentence_joins)
from newsgold.suggest.tagger.training import L1, L2, TaggerReport, train_corpus_tagger, train_tagger

__all__ = ["FEATURES", "L1", "L2", "ROLE_ORDER", "SNAP_OVERLAP", "RoleTagger", "TaggedSpan", "TaggerReport",
           "learned_cues", "role_tags", "rule_spans", "sentence_features", "sentence_joins", "train_corpus_tagger",
           "train_tagger", "META_FILE", "MODEL_FILE", "tagger_for"]


class RoleTagger:
    """A trained role tagger (`train_tagger`), loaded from its folder."""

    def __init__(self, folder: Path) -> None:
        import pycrfsuite

        path = Path(folder) / MODEL_FILE
        if not path.is_file():
            raise UsageError(f"{folder} holds no role tagger ({MODEL_FILE}): train one with train_tagger")
        verify_checksums(Path(folder), "role tagger")  # CRFsuite trusts its file: a damaged one crashes it
        try:
            meta = json.loads((Path(folder) / META_FILE).read_text(encoding="utf-8"))
            features = meta.get("features")
        except (OSError, ValueError, AttributeError):
            meta, features = {}, None
        if features != FEATURES:
            raise UsageError(f"{folder} holds a role tagger trained on other features ({features or 'unknown'}, "
                             f"this newsgold uses {FEATURES}): train it again with train_tagger")
        self.folder = Path(folder)
        joins = meta.get("sentence_joins") or {}
        # whether the gold it learned from ran quotes over sentence ends more often than it split them there
        self.joins_sentences: bool = joins.get("joined", 0) > joins.get("split", 0)
        self.cues = frozenset(meta.get("cue_words") or ())
        self._tagger: Any = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def spans(self, text: str) -> list[TaggedSpan]:
        """Every tagged span of `text`, in text order, with its sentence and score: the mean of its
        tokens' marginal probabilities of the tags they were given. Two QUOTEs in a row with only
        spaces and punctuation between them are one; across a sentence end (in one paragraph), only
        inside quotation marks or where the gold it learned from ran quotes over sentence ends more
        often than it split them there (`joins_sentences`). A QUOTE that shares most of its extent
        with a quote of the rules takes the rules' ends (`SNAP_OVERLAP`)."""
        return self._spans(text, rule_spans(text))

    def _spans(self, text: str, ruled: Sequence[Span]) -> list[TaggedSpan]:
        runs: list[_Run] = []
        for number, sentence, features in _featured_sentences(text, ruled=ruled, cues=self.cues):
            tags = self._tagger.tag(features)
            current: _Run | None = None
            for position, (token, tag) in enumerate(zip(sentence, tags, strict=True)):
                role = tag[2:] if tag != "O" else None
                marginal = self._tagger.marginal(tag, position)
                if role is not None and current is not None and current.role == role and tag.startswith("I-"):
                    current.end = token.end
                    current.marginals.append(marginal)
                    continue
                if current is not None:
                    runs.append(current)
                current = _Run(token.start, token.end, role, [marginal], number, number) if role else None
            if current is not None:
                runs.append(current)
        runs = _joined_quotes(text, runs, self.joins_sentences, quotations(text))
        return [run.tagged() for run in _snapped(runs, [r for r in ruled if r.label == "QUOTE"])]

    def attributions(self, text: str, entities: Sequence[tuple[int, int, str]], scheme: Scheme) -> list[Attribution]:
        """Each tagged QUOTE as an attribution, with the SPEAKER and CUE the rules give the quote
        where they see it too and those spans were tagged, else those nearest to it in its sentences
        (else in the sentence before); every span's ends moved to the boundary rules."""
        tagged = []
        rules = find_attributions(text)
        for found in self._spans(text, rule_spans(text, rules)):
            conformed = conform_span(Span(id="t", label=found.role, start=found.start, end=found.end,
                                          text=text[found.start:found.end]), text, scheme)
            if conformed is not None:
                tagged.append(found._replace(start=conformed.start, end=conformed.end))
        result = []
        for quote in tagged:
            if quote.role != "QUOTE":
                continue
            speaker = _nearest(tagged, "SPEAKER", quote)
            cue = _nearest(tagged, "CUE", quote)
            ruling = _ruling(rules, quote)
            if ruling is not None:  # where the rules see this quote, their speaker and cue, if tagged too
                speaker = _over(tagged, "SPEAKER", ruling.speaker) or speaker
                cue = _over(tagged, "CUE", ruling.cue) or cue
            start, end = quote.start, quote.end
            form = "direct" if start > 0 and text[start - 1] in _OPENING and text[end:end + 1] in _CLOSING \
                else "indirect"
            where = (speaker.start, speaker.end) if speaker else None
            result.append(Attribution(quote=(start, end), form=form, speaker=where,
                                      cue=(cue.start, cue.end) if cue else None,
                                      referent=speaker_referent(text, where, entities),
                                      scores=(quote.score, speaker.score if speaker else None,
                                              cue.score if cue else None)))
        return result
