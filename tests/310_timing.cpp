// Layer 3: the timing model (owned by the timing work).
#include <doctest/doctest.h>
