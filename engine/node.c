/* SPDX-License-Identifier: ISC */
#include "node.h"

#include <string.h>

static int
port_index(const StPortSpec* ports, uint32_t n, const char* name)
{
  for (uint32_t i = 0; i < n; ++i) {
    if (!strcmp(ports[i].name, name)) {
      return (int)i;
    }
  }
  return -1;
}

int
st_node_input_index(const StNodeType* type, const char* name)
{
  return port_index(type->inputs, type->n_inputs, name);
}

int
st_node_output_index(const StNodeType* type, const char* name)
{
  return port_index(type->outputs, type->n_outputs, name);
}

int
st_node_param_index(const StNodeType* type, const char* name)
{
  for (uint32_t i = 0; i < type->n_params; ++i) {
    if (!strcmp(type->params[i].name, name)) {
      return (int)i;
    }
  }
  return -1;
}
