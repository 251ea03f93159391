"""Who may act on the city's submission: the region-aware form django-fsm's `permission=` calls
(the roles themselves live in accounts/roles.py)."""

from accounts import roles

# The bureau of the submission's city (通知 三: the city reports its recommendations).
is_city_bureau_of_submission = roles.is_city_bureau_of
