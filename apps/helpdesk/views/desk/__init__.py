"""The service desk (/desk/): counter staff find or open a resident's account, record mandates,
act for the resident, print letters and claim codes. Every page needs 2FA (middleware) and the
counter role; every view of a resident's details is audited."""

from .acting import (  # noqa: F401
    act_apply,
    act_case,
    act_check,
    act_complaint,
    act_home,
    act_sign,
    act_status_letter,
    act_step,
    acting_start,
    acting_stop,
)
from .family import family_bind, family_unbind  # noqa: F401
from .mandates import mandate_evidence, mandate_new, mandate_revoke  # noqa: F401
from .printing import claim_code_issue, print_batch_download, print_queue  # noqa: F401
from .residents import identity_check, resident_detail, resident_new, resident_search  # noqa: F401
