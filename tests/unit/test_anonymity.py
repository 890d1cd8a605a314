"""Demographics kept with released anonymous answers: every kept combination shared by k."""

import random
from collections import Counter

import pytest

from core.questionnaires.anonymity import Facts, Kept, generalise


def classes(kept: list[Kept]) -> Counter[Kept]:
    return Counter(kept)


def test_a_small_batch_keeps_nothing_but_the_municipality() -> None:
    people = [Facts(1, (2,), True), Facts(1, (2,), True)]
    assert generalise(people, 5, random.Random(1)) == [Kept(None, (), None)] * 2


def test_a_one_teacher_school_is_never_kept() -> None:
    # 10 of school 1 and one each of schools 2 and 3, k = 5: the two lone ones cannot be
    # kept, and a "no school" group of 2 would name them, so 3 of school 1 join it: 7 + 5
    people = [Facts(1, (), False)] * 10 + [Facts(2, (), False), Facts(3, (), False)]
    kept = generalise(people, 5, random.Random(7))
    schools = Counter(k.school_id for k in kept)
    assert schools == {1: 7, None: 5}
    assert kept[10].school_id is None and kept[11].school_id is None


def test_a_lone_value_of_the_young_flag_hides_among_k() -> None:
    # school 1: 6 young and 6 not -> both kept; school 2: 9 young and 1 not -> the one not
    # young is unknown together with 4 of the young, so nobody's flag can be told apart
    people = [Facts(1, (), True)] * 6 + [Facts(1, (), False)] * 6
    people += [Facts(2, (), True)] * 9 + [Facts(2, (), False)]
    kept = generalise(people, 5, random.Random(3))
    assert Counter((k.school_id, k.young) for k in kept) == {
        (1, True): 6,
        (1, False): 6,
        (2, True): 5,
        (2, None): 5,
    }
    assert kept[-1].young is None


def test_subjects_are_kept_as_an_exact_set_shared_by_k() -> None:
    people = [Facts(1, (4,), False)] * 5 + [Facts(1, (4, 5), False)] * 5
    people += [Facts(1, (6,), False)] * 2
    kept = generalise(people, 5, random.Random(5))
    found = Counter(k.subject_ids for k in kept)
    # (6,) alone is 2: it takes 3 spare from nowhere (both other sets have exactly 5), so the
    # smallest set gives up its subjects: (4,) and (6,) become unknown together (7)
    assert sorted(found.values()) == [5, 7] and found[()] == 7


@pytest.mark.parametrize("seed", range(300))
def test_every_kept_combination_is_shared_by_at_least_k(seed: int) -> None:
    rng = random.Random(seed)
    k = rng.choice([2, 3, 5, 10])
    size = rng.randint(k, 60)
    people = [
        Facts(
            rng.choice([1, 2, 3, None]),
            tuple(sorted(rng.sample([1, 2, 3], rng.randint(0, 2)))),
            rng.random() < 0.3,
        )
        for _ in range(size)
    ]
    kept = generalise(people, k, random.Random(seed))
    assert all(count >= k for count in classes(kept).values())
    for person, shown in zip(people, kept, strict=True):  # nothing false is ever stored
        assert shown.school_id in (None, person.school_id)
        assert shown.young in (None, person.young)
        assert shown.subject_ids in ((), person.subject_ids)
