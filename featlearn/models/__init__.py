"""The training core: networks and training algorithms, written against the Array API.

Depends on :mod:`featlearn.theory` and :mod:`featlearn.backends`, never the reverse.
Training streams over samples in chunks, so memory grows with the width, not with n.
"""
