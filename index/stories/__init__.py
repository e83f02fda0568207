"""Story grouping: articles about one event form a story, found incrementally as they arrive.

Pure Python, no SQLite and no Textual: `StoryGrouper` holds the whole incremental state and
turns it into plain dicts and lists (`to_dict` / `from_dict`) so the library can persist it
beside the record and load it again.

How an article finds its story (average-link clustering computed from story centroids):

- Each article becomes one sparse unit vector of three blocks: the words of its text (TF-IDF,
  stemmed, stopwords dropped, years kept), its resolved entities (entity ids weighted by IDF,
  so a name met in every story counts little and a named victim a lot), and its title words
  (headlines name the event). The blocks are normalised separately and weighted, so a short
  text with many entities does not drown the words, nor a long one the entities.
- A story keeps the sum of its articles' vectors. The mean similarity between the articles of
  two stories (average link) is the dot product of their sums over the product of their
  sizes, so it costs one sparse dot product, never a comparison of every pair of articles.
- Each new article starts as a story of its own; within one `add` batch the most similar pair
  (a new story with a new or an old one) is merged first, while that mean similarity reaches
  one threshold. Candidates come from an inverted index over each article's top features, so
  a story is compared with a few dozen others: the cost per article is bounded by the posting
  lists of its top features, not by the size of the library.
- Two events of one kind (two rehab stays, two patches of one browser) share most words and
  names, so library-wide weights find them alike. Before two groups of two or more articles
  merge, they are compared again under their own IDF (contrast.py): the words both share then
  weigh nothing and each event's own names decide; a pair that reads as two events is refused
  and the group looks for its next best match. One article is never refused this way (too
  noisy), so articles added one at a time are not protected by it. Nor are two stories
  that are both mostly dated: there the dates decide (below), and the test would mostly part
  two phases of one event (the fire, then the charges).
- Dates, where an article carries one (a `published` field, a date line near the top of its
  text, or a date in its URL), scale the similarity down once two stories lie more than
  half a year apart (halving yearly beyond that; coverage of one event runs for months of
  charges, trials and inquiries): two earthquakes of one kind years apart are
  two stories however alike their words. A missing date is neutral.
- Old stories (those that existed before the batch) never seek a merge, so two of them are
  never joined, and no article already grouped ever moves: adding articles does not reshuffle
  stories the new articles do not touch.

The source of an article is shown (a story's sources) but never used to group: in a real
library the outlet says nothing about the event, and in ECB+ it would give the answer away.

User decisions (`move`, `split`, `merge`) change the state at once and are appended to a
decision log kept in the state; later additions respect them because nothing ever moves an
article already grouped and old stories are never merged automatically.

The modules, along those seams: records (what goes in and out), words and dates (what an
article is compared by), vectors (its TF-IDF blocks), clusters (the state, changed only by
attach and detach), linking (average-link merging of a batch), contrast (two events of one
kind or one), labels, state (to and from
JSON-ready data) and grouper (StoryGrouper, the one object callers use).
"""

from __future__ import annotations

from .dates import article_day
from .grouper import DEFAULT_THRESHOLD, StoryGrouper
from .records import EntityRef, GroupingError, Story, StoryArticle
from .words import terms, title_grams

__all__ = [
    "DEFAULT_THRESHOLD",
    "EntityRef",
    "GroupingError",
    "Story",
    "StoryArticle",
    "StoryGrouper",
    "article_day",
    "terms",
    "title_grams",
]
