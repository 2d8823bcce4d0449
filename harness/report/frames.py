"""Which stack frame names the code at fault: the first that is not the
allocator, a tool's interceptor or the signal machinery."""
import re

# Function names (not text lines) of frames that say where the allocator or
# the signal machinery is, not who called it.
NOT_OURS = re.compile(
    r"^(malloc|calloc|realloc|reallocarray|free|__interceptor_\w+|__asan_\w+|"
    r"operator new.*|operator delete.*|CoTaskMem\w+|vg_replace_\w+|tracker_\w+|"
    r"nap_alloc_zeroed|raise|abort|__pthread_kill\w*|pthread_kill\w*|__GI_\w+)$")


def first_own(frames):
    """"function (place)" of the first frame of [(function, place)] that is
    not the allocator's, or "?"."""
    for func, place in frames:
        if func and func != "???" and not NOT_OURS.match(func):
            return "%s (%s)" % (func, place) if place else func
    return "?"
