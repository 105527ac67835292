// placeholder: filled by the engine issue
