enum _PDemo {}
