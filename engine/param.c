/* SPDX-License-Identifier: ISC */
#include "param.h"

#include <math.h>

void
st_param_init(StParam* p, float value, float seconds, float rate)
{
  p->value  = value;
  p->target = value;
  // 1 - e^(-1/(tau*rate)): reaches 63 % of a jump after `seconds`.
  p->coef = (seconds > 0.0f && rate > 0.0f) ? 1.0f - expf(-1.0f / (seconds * rate)) : 1.0f;
}

void
st_param_set(StParam* p, float target, bool snap)
{
  p->target = target;
  if (snap || p->coef >= 1.0f) {
    p->value = target;
  }
}
