# Reference outputs for impactkit.mmrm (issue 17 item 3). R's mmrm package is not installed here
# (no CRAN access), so the references are:
#   (1) nlme::gls(score ~ wave, correlation = corSymm(form = ~ t | family_id),
#       weights = varIdent(form = ~ 1 | wave), method = "REML") with tight tolerances:
#       coefficients, SEs, logLik, the covariance matrix;
#   (2) the same model written out in R (as lmerTest does for lmer, and mmrm for MMRM): the REML
#       criterion of an unstructured covariance as a generic matrix computation, optimised from the
#       gls solution by BFGS and polished by Newton steps on the score (gls stops at a
#       relative tolerance of ~1e-8 on the criterion, so its estimates differ in the 5th-6th digit);
#       estimates, SEs and covariance at that optimum; Satterthwaite df from the Hessian of the
#       criterion (numDeriv::jacobian of the REML score, written out family by family) and
#       numDeriv::jacobian of vcov(beta);
#       df = 2 (L C L')^2 / (g' A g), A = 2 H^-1;
#   (3) emmeans(gls, ~ wave, mode = "appx-satterthwaite") pairs where emmeans can compute them (it needs
#       gls's numerical apVar): a second, numerical Satterthwaite (df_emmeans; NA where unavailable).
# Run from the repository root:  Rscript tests/results/models/reference_mmrm.R
# R 4.2.2, nlme 3.1-162, numDeriv 2016.8-1.1, emmeans 1.8.4-1. Writes next to this script:
#   mmrm_coef.csv (estimate, se, df at the polished optimum; estimate_gls, se_gls), mmrm_fit.csv (gls
#   logLik, the criterion, n_par), mmrm_cov.csv (covariance; covariance_gls), mmrm_contrasts.csv (pairs)
suppressPackageStartupMessages({library(nlme); library(numDeriv); library(emmeans)})
options(warn = 1)
here <- "tests/results/models"
coefs <- list(); fits <- list(); covs <- list(); cons <- list()

reml_fun <- function(X, y, id, t, nw, reml = TRUE) {
  # -2 log restricted likelihood of y ~ N(X b, V), V block-diagonal with Sigma[t_i, t_i], Sigma = L L',
  # theta = lower triangle of L with log diagonal (column-major, as R's lower.tri)
  blocks <- split(seq_along(y), id)
  function(theta, what = "crit") {
    L <- matrix(0, nw, nw); L[lower.tri(L, diag = TRUE)] <- theta; diag(L) <- exp(diag(L))
    S <- L %*% t(L)
    M <- 0; g <- 0; ld <- 0; h <- 0
    for (b in blocks) {
      Si <- solve(S[t[b], t[b], drop = FALSE]); Xb <- X[b, , drop = FALSE]
      M <- M + t(Xb) %*% Si %*% Xb; g <- g + t(Xb) %*% Si %*% y[b]; h <- h + t(y[b]) %*% Si %*% y[b]
      ld <- ld + determinant(S[t[b], t[b], drop = FALSE])$modulus
    }
    C <- solve(M)
    if (what == "vcov") return(C)
    beta <- C %*% g
    if (what == "beta") return(drop(beta))
    q <- h - t(g) %*% beta
    n <- length(y); p <- ncol(X)
    as.numeric(ld + q + (if (reml) (n - p) else n) * log(2 * pi) + (if (reml) determinant(M)$modulus else 0))
  }
}

reml_grad <- function(X, y, id, t, nw) {
  # the REML score written out family by family: d/dtheta_m of the criterion is
  # sum_i tr(Si dS) - tr(C sum_i X_i' Si dS Si X_i) - sum_i r_i' Si dS Si r_i
  blocks <- split(seq_along(y), id)
  function(theta) {
    L <- matrix(0, nw, nw); L[lower.tri(L, diag = TRUE)] <- theta; diag(L) <- exp(diag(L))
    S <- L %*% t(L)
    M <- 0; g <- 0
    for (b in blocks) { Si <- solve(S[t[b], t[b], drop = FALSE]); Xb <- X[b, , drop = FALSE]
      M <- M + t(Xb) %*% Si %*% Xb; g <- g + t(Xb) %*% Si %*% y[b] }
    C <- solve(M); beta <- C %*% g
    idx <- which(lower.tri(L, diag = TRUE))
    sapply(idx, function(m) {
      dL <- matrix(0, nw, nw); dL[m] <- if (row(L)[m] == col(L)[m]) L[m] else 1
      dS <- dL %*% t(L) + L %*% t(dL)
      tot <- 0; dM <- 0
      for (b in blocks) {
        Si <- solve(S[t[b], t[b], drop = FALSE]); D <- Si %*% dS[t[b], t[b], drop = FALSE] %*% Si
        r <- y[b] - X[b, , drop = FALSE] %*% beta
        tot <- tot + sum(diag(Si %*% dS[t[b], t[b], drop = FALSE])) - drop(t(r) %*% D %*% r)
        dM <- dM + t(X[b, , drop = FALSE]) %*% D %*% X[b, , drop = FALSE]
      }
      tot - sum(diag(C %*% dM))
    })
  }
}

fit_one <- function(d, formula, dataset, domain, model) {
  d <- d[order(d$family_id, d$t), ]
  g <- gls(formula, data = d, correlation = corSymm(form = ~ t | family_id),
           weights = varIdent(form = ~ 1 | wave), method = "REML",
           control = glsControl(tolerance = 1e-12, msTol = 1e-12, maxIter = 1000, msMaxIter = 1000))
  X <- model.matrix(formula, d); y <- d$score; nw <- nlevels(d$wave)
  f <- reml_fun(X, y, d$family_id, d$t, nw)
  S <- getVarCov(g, individual = names(which.max(table(d$family_id))))  # a family with every wave
  S <- as.matrix(S); stopifnot(nrow(S) == nw)
  L0 <- t(chol(S)); diag(L0) <- log(diag(L0))
  opt <- optim(L0[lower.tri(L0, diag = TRUE)], f, method = "BFGS",
               control = list(reltol = 1e-15, maxit = 5000))
  th <- opt$par
  gr <- reml_grad(X, y, d$family_id, d$t, nw)
  hess <- function(x) { h <- numDeriv::jacobian(gr, x); (h + t(h)) / 2 }  # smooth: Richardson on the score
  for (i in 1:20) {  # Newton polish on the analytic score: optim stops short
    step <- solve(hess(th), gr(th))
    if (f(th - step) > f(th)) break
    th <- th - step
    if (max(abs(step)) < 1e-12) break
  }
  H <- hess(th)
  A <- 2 * solve(H)
  C <- f(th, "vcov")
  J <- numDeriv::jacobian(function(x) as.vector(f(x, "vcov")), th)  # d vec(C) / d theta
  b <- setNames(f(th, "beta"), names(coef(g))); p <- length(b)
  df_of <- function(Lv) {
    grad <- sapply(seq_along(th), function(k) drop(t(Lv) %*% matrix(J[, k], p, p) %*% Lv))
    2 * drop(t(Lv) %*% C %*% Lv)^2 / drop(t(grad) %*% A %*% grad)
  }
  dfs <- sapply(seq_len(p), function(i) { Lv <- rep(0, p); Lv[i] <- 1; df_of(Lv) })
  se <- sqrt(diag(C))
  coefs[[length(coefs) + 1]] <<- data.frame(dataset, domain, model, term = names(b), estimate = b, se = se,
    df = dfs, estimate_gls = coef(g), se_gls = sqrt(diag(vcov(g))), row.names = NULL)
  fits[[length(fits) + 1]] <<- data.frame(dataset, domain, model, loglik_gls = as.numeric(logLik(g)),
    reml_criterion = f(th), crit_at_gls = f(L0[lower.tri(L0, diag = TRUE)]), n_par = attr(logLik(g), "df"),
    n_obs = nrow(d))
  Lp <- matrix(0, nw, nw); Lp[lower.tri(Lp, diag = TRUE)] <- th; diag(Lp) <- exp(diag(Lp))
  covs[[length(covs) + 1]] <<- data.frame(dataset, domain, model, wave = rep(levels(d$wave), nw),
    wave_other = rep(levels(d$wave), each = nw), covariance = as.vector(Lp %*% t(Lp)),
    covariance_gls = as.vector(S))
  if (model == "wave") {
    e <- tryCatch(emmeans(g, ~ wave, mode = "appx-satterthwaite", data = d), error = function(e) NULL)
    if (is.null(e)) e <- emmeans(g, ~ wave, mode = "df.error", data = d)  # emmeans could not (apVar)
    pr <- as.data.frame(pairs(e, reverse = TRUE, adjust = "none"))
    if (!grepl("satterthwaite", e@dffun |> deparse() |> paste(collapse = ""))) pr$df <- NA
    waves <- levels(d$wave)
    own <- sapply(pr$contrast, function(cn) {  # the same contrasts with the written-out df
      w <- strsplit(as.character(cn), " - ")[[1]]; Lv <- setNames(rep(0, p), names(b))
      if (w[1] != waves[1]) Lv[paste0("wave", w[1])] <- 1
      if (w[2] != waves[1]) Lv[paste0("wave", w[2])] <- -1
      c(sum(Lv * b), sqrt(drop(t(Lv) %*% C %*% Lv)), df_of(Lv)) })
    cons[[length(cons) + 1]] <<- data.frame(dataset, domain, contrast = pr$contrast, estimate = pr$estimate,
      se = pr$SE, df_emmeans = pr$df, df = own[3, ], estimate_own = own[1, ], se_own = own[2, ])
  }
}

ss <- read.csv("tests/results/mixed/sleepstudy_long.csv")
ss$wave <- factor(ss$wave, levels = c("day0", "day3", "day6", "day9")); ss$t <- as.integer(ss$wave)
fit_one(ss, score ~ wave, "sleepstudy", "reaction", "wave")
syn <- read.csv("tests/results/mixed/synthetic_cohort.csv")
syn <- syn[!is.na(syn$score), ]
syn$wave <- factor(syn$wave, levels = c("intake", "year1", "year2")); syn$t <- as.integer(syn$wave)
syn$municipality <- factor(syn$municipality); syn$household_type <- factor(syn$household_type)
for (dom in c("finances", "housing", "social_network")) {
  d <- syn[syn$domain == dom, ]
  fit_one(d, score ~ wave, "synthetic", dom, "wave")
  fit_one(d, score ~ wave * municipality, "synthetic", dom, "by_municipality")
  fit_one(d, score ~ wave + n_children + household_type, "synthetic", dom, "covariates")
}
w <- function(x, f) write.csv(do.call(rbind, x), file.path(here, f), row.names = FALSE)
w(coefs, "mmrm_coef.csv"); w(fits, "mmrm_fit.csv"); w(covs, "mmrm_cov.csv"); w(cons, "mmrm_contrasts.csv")
