from enum import StrEnum


class LeadStatus(StrEnum):
    FIRST_CONTACT = "first_contact"
    NEW = "new"
    ON_HOLD = "on_hold"
    SECOND_CONTACT = "second_contact"
    THIRD_CONTACT = "third_contact"

    def __str__(self) -> str:
        return str(self.value)
