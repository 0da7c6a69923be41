"""The per-request time budget: no budget outside the server; a spent budget stops work with the step named."""
import time

import pytest

from wenzhen.budget import BudgetExceeded, check_budget, deadline_in, within


def test_no_budget_means_no_limit():
    check_budget("anything")  # library and CLI calls run without a deadline


def test_a_spent_budget_names_the_step():
    with within(deadline_in(0.05)):
        check_budget("reading page 1")
        time.sleep(0.06)
        with pytest.raises(BudgetExceeded, match="reading page 2.*0.05 s"):
            check_budget("reading page 2")
    check_budget("after the request")  # the budget ends with the block


def test_a_request_that_waited_out_its_budget_does_not_start():
    with pytest.raises(BudgetExceeded, match="waiting for a free worker"):
        with within(deadline_in(-1)):
            pass
