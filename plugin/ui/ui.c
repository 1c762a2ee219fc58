/* The LV2 UI descriptor of the patch editor. */
#include <lv2/ui/ui.h>

#include <stddef.h>

#define STRATA_UI_URI "urn:strata:modular#ui"

static LV2UI_Handle
instantiate(const LV2UI_Descriptor*   descriptor,
            const char*               plugin_uri,
            const char*               bundle_path,
            LV2UI_Write_Function      write_function,
            LV2UI_Controller          controller,
            LV2UI_Widget*             widget,
            const LV2_Feature* const* features)
{
  (void)descriptor, (void)plugin_uri, (void)bundle_path, (void)write_function;
  (void)controller, (void)widget, (void)features;
  return NULL;
}

static void
cleanup(LV2UI_Handle handle)
{
  (void)handle;
}

static const LV2UI_Descriptor descriptor = {
  STRATA_UI_URI, instantiate, cleanup, NULL, NULL,
};

LV2_SYMBOL_EXPORT const LV2UI_Descriptor*
lv2ui_descriptor(uint32_t index)
{
  return index == 0 ? &descriptor : NULL;
}
