// Layer 4: the arm64 paths beyond the foundation pair: exact counts and era differences.
#include "helpers.h"
#include "sim/runner.h"
