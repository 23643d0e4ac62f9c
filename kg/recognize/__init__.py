"""Entity recognition: the model's names, the gazetteer's and the shapes', reconciled.

A spaCy component (`newskg_entities`) runs after the statistical NER. It
proposes candidates from every source (`candidates`), and decides which
are entities and of which class (`choose`) using what the words around a
name say (`context`), so that knowledge types names without splitting them.
"""
