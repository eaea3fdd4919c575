"""The plugin's xp fixture (--featlearn-backend): featlearn's theory objects run on the chosen backend."""

from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host
from featlearn.testing import namespace
from featlearn.testing import strategies as fst


def test_xp_fixture_draws_finite_single_index_labels(xp, featlearn_backend):
    from featlearn.theory.targets import SingleIndex

    rng = Generator(0, xp=xp)
    f = SingleIndex.random(rng, 5, "relu")
    X, y = f.sample(rng, 64)
    assert X.shape == (64, 5) and bool(xp.all(xp.isfinite(y)))


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(st.data(), st.integers(0, 2**16))
def test_every_drawn_target_samples_finite_labels_on_the_chosen_backend(featlearn_backend, data, seed):
    xp = namespace(featlearn_backend)  # a pytest skip where the backend is not usable
    f = data.draw(fst.targets(d=st.integers(1, 8), kinds=fst.TARGETS, xp=xp))
    X, y = f.sample(Generator(seed, xp=xp), 32)
    assert X.shape == (32, f.d)
    assert all(v == v for v in to_host(y).tolist())  # no NaN
