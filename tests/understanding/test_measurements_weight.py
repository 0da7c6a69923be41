"""Body weight is read where it is named as such (children's doses are by weight); a change in weight is not one."""
import pytest

from wenzhen.understanding import understand


@pytest.mark.parametrize("text,kg", [
    ("孩子3岁，体重14公斤，发烧38.6度", 14.0),
    ("宝宝体重28斤，拉肚子", 14.0),
    ("he weighs 150 lbs and has a cough", 68.0),
    ("weight: 70kg, headache", 70.0),
    ("最近瘦了5公斤，没胃口", None),
    ("胖了10斤", None),
])
def test_weight(text, kg):
    assert understand(text).vitals.weight_kg == kg
